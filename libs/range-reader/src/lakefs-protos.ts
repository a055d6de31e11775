import protobuf from 'protobufjs';

// The two messages lakeFS stores inside range and metarange values, as declared in
// pkg/catalog/catalog.proto (Entry) and pkg/graveler/committed/committed.proto (RangeData).
const root = protobuf.parse(
  `
syntax = "proto3";
// Wire-compatible with google.protobuf.Timestamp.
message Timestamp {
  int64 seconds = 1;
  int32 nanos = 2;
}
message Entry {
  string address = 1;
  Timestamp last_modified = 2;
  int64 size = 3;
  string e_tag = 4;
  map<string, string> metadata = 5;
  enum AddressType { BY_PREFIX_DEPRECATED = 0; RELATIVE = 1; FULL = 2; }
  AddressType address_type = 6;
  string content_type = 7;
}
message RangeData {
  bytes min_key = 1;
  bytes max_key = 2;
  uint64 estimated_size = 3;
  int64 count = 4;
}
`,
  { keepCase: true },
).root;

export const EntryMessage = root.lookupType('Entry');
export const RangeDataMessage = root.lookupType('RangeData');
