#!/usr/bin/env node
// The `kontor` command. Kontor runs its TypeScript sources directly (tsx), so a fresh
// clone needs no build step for the server.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
