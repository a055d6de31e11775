/** A mirror as the API returns it; only what the CLI prints is typed. */
export interface MirrorView {
  id: string;
  source_repository: string;
  region: string;
  storage_namespace: string;
  state: string;
  created_at: string;
  [field: string]: unknown;
}

/** One line per mirror, aligned like lakectl's tables. */
export function renderMirrorTable(mirrors: MirrorView[]): string {
  if (mirrors.length === 0) return 'no mirrors';
  const rows = [['MIRROR', 'REGION', 'STATE', 'STORAGE NAMESPACE'], ...mirrors.map((m) => [m.id, m.region, m.state, m.storage_namespace])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ')).join('\n');
}

/** Every field of one mirror, one per line. */
export function renderMirror(mirror: MirrorView): string {
  return Object.entries(mirror)
    .map(([field, value]) => `${field.padEnd(18)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('\n');
}
