export * from './byte-source';
export * from './lakefs-range.reader';
export * from './range-reader.errors';
export * from './range.types';
export { SSTableReader } from './sstable-reader';
