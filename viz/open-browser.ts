/**
 * `--open`: $BROWSER when set (the convention xdg-utils and Python's webbrowser follow), else the
 * platform's opener. Says so when there is none, instead of failing the server.
 */
import { spawn } from 'node:child_process';

export function openBrowser(url: string, onProblem: (message: string) => void): void {
  const browser = process.env.BROWSER?.trim();
  const [command, args] = browser
    ? [browser, [url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', (err: NodeJS.ErrnoException) => onProblem(`cannot open a browser (${command}: ${err.code === 'ENOENT' ? 'not found' : err.message}); open ${url} yourself`));
    child.unref();
  } catch (err) {
    onProblem(`cannot open a browser (${(err as Error).message}); open ${url} yourself`);
  }
}
