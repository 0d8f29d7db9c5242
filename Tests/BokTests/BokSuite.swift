import Testing

/// Every BOK test. Serialized: each test runs three real services on three isolated schemas, and
/// running them all at once would exhaust the test cluster's connections.
@Suite(.serialized)
enum BokSuite {}
