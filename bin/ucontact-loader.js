#!/usr/bin/env node
// Runs the TypeScript sources directly, so a clone needs only `npm ci` before `npx ucontact-loader`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
