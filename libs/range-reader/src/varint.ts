/** Reads an unsigned LEB128 varint at `offset`; returns the value and the offset after it, or undefined when malformed or out of bounds. */
export function readUvarint(buf: Uint8Array, offset: number, end = buf.length): [value: number, next: number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < end && i < offset + 10; i++) {
    const byte = buf[i];
    value += (byte & 0x7f) * scale;
    if (value > Number.MAX_SAFE_INTEGER) return undefined;
    if ((byte & 0x80) === 0) return [value, i + 1];
    scale *= 128;
  }
  return undefined;
}

/** Reads a zig-zag signed varint (Go's binary.Varint), as lakeFS uses for value component lengths. */
export function readSignedVarint(buf: Uint8Array, offset: number, end = buf.length): [value: number, next: number] | undefined {
  const read = readUvarint(buf, offset, end);
  if (!read) return undefined;
  const [zigzag, next] = read;
  const value = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  return [value, next];
}
