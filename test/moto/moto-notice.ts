import { findMotoServer } from '../../local-aws/moto/moto-server.js';

/** Says once per run, plainly, when the moto tier is skipped because moto is not installed. */
export default function setup(): void {
  if (findMotoServer() === undefined) {
    console.log(
      "\nmoto tier skipped: moto_server is not installed (pip install 'moto[server]'); .ci/run requires it.\n",
    );
  }
}
