/**
 * Runs before `npm start` and `npm test`: on a fresh clone, installs the locked
 * dependencies first (`npm ci`), so the quick start is two commands. Imports nothing but
 * Node's own modules, since it runs before anything is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  process.stderr.write('Dependencies are not installed yet: running npm ci first.\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}
