// CRC32C (Castagnoli, reflected polynomial 0x82f63b78), slicing-by-8: eight table lookups per
// eight input bytes. Block checksums are verified on every data block, so this is on the hot path.
const POLYNOMIAL = 0x82f63b78;
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n];
    for (let t = 1; t < 8; t++) {
      c = tables[c & 0xff] ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

/** Continues `crc` (the CRC32C of the bytes before) over `data[start, end)`; returns it unsigned. */
export function crc32c(data: Uint8Array, crc = 0, start = 0, end = data.length): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  for (const last8 = end - 8; i <= last8; i += 8) {
    const a = c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    c =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + data[i + 4]] ^
      t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < end; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
