/** The human-readable reporters; JSON is the report itself (JSON.stringify). */
import type { Report } from '../types';
import { renderDot } from './dot';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { renderMermaid } from './mermaid';
import { renderTable } from './table';

export type Format = 'table' | 'md' | 'dot' | 'mermaid' | 'html';
export const FORMATS: readonly Format[] = ['table', 'md', 'dot', 'mermaid', 'html'];

export function render(report: Report, format: Format, options: { top?: number; color?: boolean } = {}): string {
  switch (format) {
    case 'table':
      return renderTable(report, options);
    case 'md':
      return renderMarkdown(report, options);
    case 'dot':
      return renderDot(report);
    case 'mermaid':
      return renderMermaid(report);
    case 'html':
      return renderHtml(report);
    default:
      throw new Error(`unknown report format '${String(format)}' (formats: ${FORMATS.join(', ')})`);
  }
}
