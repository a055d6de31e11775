// Test support for other projects' tests: lakeFS range files built in Pebble's layout.
export { buildTable, entryValue } from './sstable.fixture';
