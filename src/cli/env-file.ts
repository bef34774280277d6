/**
 * The command line's `.env`: read from the current directory when there is one, silently
 * when there is none. Node's `--env-file-if-exists` says ".env not found. Continuing without
 * it." on stderr on every run without one, which is noise to a person and to a script that
 * treats stderr as an error. Variables already set in the environment win, as with Node's
 * own flag.
 */
export function loadEnvFileIfPresent(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
}
