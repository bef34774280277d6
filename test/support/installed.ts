/** Whether a program the tests may use (ffmpeg) is installed: tests that need it skip without it. */
import { execFileSync } from 'node:child_process';

export function isInstalled(program: string, versionFlag = '-version'): boolean {
  try {
    execFileSync(program, [versionFlag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
