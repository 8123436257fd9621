#!/usr/bin/env node
// Runs the TypeScript sources directly, so a clone needs only `npm ci` before `npx ucontact-loader`.
import { register } from 'tsx/esm/api';

// The lockfile pins SDK releases that support Node 20; the SDK's notice about later releases
// would only clutter every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../cli/main.ts');
