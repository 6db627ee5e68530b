/** The analyze command's flags and formats, shared by its registration and its run (kept apart so neither imports the other). */
export const FORMATS = ['table', 'md', 'json', 'dot', 'mermaid', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface AnalyzeFlags {
  format?: string;
  out?: string;
  top?: string;
  tsconfig?: string;
  exclude: string[];
  failOnCycles?: boolean;
  crosscheck?: boolean;
  includeNonRuntime?: boolean;
  quiet?: boolean;
}
