// Test support for other projects' tests: lakeFS range files built in Pebble's layout.
export { EntryFields, buildTable, entryValue, objectEntryValue, rangeRecordValue } from './sstable.fixture';
