/**
 * What an engine does differently from the facade. Every converter records each difference it
 * cannot express here; the export writes them as comments at the top of the output and on stderr,
 * so nothing the facade does is ever dropped silently.
 */
export interface Note {
  /** The route it concerns, or null for the whole config. */
  route: string | null;
  message: string;
}

export class Notes {
  private readonly list: Note[] = [];

  add(route: string | null, message: string): void {
    if (!this.list.some((n) => n.route === route && n.message === message)) this.list.push({ route, message });
  }

  get all(): readonly Note[] {
    return this.list;
  }
}

export function formatNote(n: Note): string {
  return n.route === null ? n.message : `route ${n.route}: ${n.message}`;
}
