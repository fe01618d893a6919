#!/usr/bin/env node
// The `cairn` command. TypeScript sources run through tsx's loader, so there is no separate build step
// for the server and CLI; the web app is built by Vite (`npm run build`).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
