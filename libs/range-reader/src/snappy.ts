// A raw Snappy block decoder (the format of Pebble's compressed blocks; no framing): a varint
// uncompressed length, then literals and back-references. Written for the range reader's hot path:
// long runs are copied natively (Buffer#set, copyWithin), shorter ones in a loop,
// and the output is never zero-filled first (every byte is written, or the block is refused).

/** Why a Snappy block cannot be decoded. */
export class SnappyError extends Error {}

/** Below this, a byte loop beats the native copy's call: copies within the output (copyWithin)... */
const NATIVE_COPY_FROM = 16;
/** ...and literals from the input, whose native copy also costs a subarray (measured on lakeFS range blocks). */
const NATIVE_LITERAL_FROM = 64;

/**
 * Decompresses one raw Snappy block.
 * @throws SnappyError when the block is malformed, or would inflate past `maxLength` bytes.
 */
export function snappyUncompress(input: Uint8Array, maxLength: number): Buffer {
  const end = input.length;
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end || shift > 28) throw new SnappyError('undecodable uncompressed length');
    const byte = input[pos++];
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (length > maxLength) throw new SnappyError(`uncompressed length ${length} is over the limit of ${maxLength}`);
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  while (pos < end) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let run = (tag >>> 2) + 1;
      if (run > 60) {
        const bytes = run - 60;
        if (pos + bytes > end) throw new SnappyError('literal length runs past the input');
        run = 0;
        for (let i = bytes - 1; i >= 0; i--) run = run * 256 + input[pos + i];
        run += 1;
        pos += bytes;
      }
      if (run > end - pos || run > length - at) throw new SnappyError('literal runs past the input or the output');
      if (run < NATIVE_LITERAL_FROM) for (let i = 0; i < run; i++) out[at + i] = input[pos + i];
      else out.set(input.subarray(pos, pos + run), at);
      pos += run;
      at += run;
      continue;
    }
    let run: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= end) throw new SnappyError('copy runs past the input');
      run = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      if (pos + 2 > end) throw new SnappyError('copy runs past the input');
      run = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) throw new SnappyError('copy runs past the input');
      run = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > at) throw new SnappyError(`copy from offset ${offset} at output byte ${at}`);
    if (run > length - at) throw new SnappyError('copy runs past the output');
    const from = at - offset;
    // A copy that overlaps its own output repeats a pattern: only a byte loop does that.
    if (run >= NATIVE_COPY_FROM && offset >= run) out.copyWithin(at, from, from + run);
    else for (let i = 0; i < run; i++) out[at + i] = out[from + i];
    at += run;
  }
  if (at !== length) throw new SnappyError(`${at} bytes decoded, ${length} announced`);
  return out;
}
