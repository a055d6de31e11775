// A POSIX ustar archive of small files, built in memory: what MinIO's snowball upload takes
// (one PUT with `x-amz-meta-snowball-auto-extract: true` that MinIO unpacks into one object a file).

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** A name of up to 100 bytes goes in `name`; a longer one is split at a slash into `prefix` (up to 155) and `name`. */
function splitName(path: string): [prefix: string, name: string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1))
    if (Buffer.byteLength(path.slice(0, at)) <= 155 && Buffer.byteLength(path.slice(at + 1)) <= 100) return [path.slice(0, at), path.slice(at + 1)];
  throw new Error(`path too long for a ustar archive: ${path}`);
}

function header(path: string, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(path);
  block.write(name, 0);
  block.write(octal(0o644, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(1_764_000_000, 12), 136);
  block.write(' '.repeat(8), 148);
  block.write('0', 156);
  block.write('ustar\x0000', 257);
  block.write(prefix, 345);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

/** The archive of `files` (path and content each), ended by the two empty blocks tar expects. */
export function tarArchive(files: { path: string; body: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { path, body } of files) {
    parts.push(header(path, body.length), body);
    const padding = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (padding) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
