import Foundation
import GRDB
import SOPJSON
import TestSupport
import Testing

@testable import SOPStore

/// A database written by release 0.1.0, whose JSON was still encoded by JSONEncoder
/// (`Fixtures/release-0.1.0.db`, made by `Fixtures/make-release-db.sh`), read by today's code.
@Suite struct ReleaseDatabaseTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/release-0.1.0.db")

    /// A copy of the fixture opened by today's store (opening migrates; the committed file
    /// stays as the release wrote it).
    func openCopy() throws -> (TemporaryDirectory, Store) {
        let directory = TemporaryDirectory("sop-release-db")
        let copy = directory.path("release.db")
        try FileManager.default.copyItem(at: Self.fixture, to: copy)
        return (directory, try Store.open(path: copy.path))
    }

    @Test func auditVerifiesWithNoProblem() throws {
        let (directory, store) = try openCopy()
        let report = try store.verifyAudit()
        #expect(report.problems == [])
        // The release's 13 events and the seal that opening it appended.
        #expect(report.events == 14 && report.blobs == 1 && report.evidence == 38)
        _ = directory
    }

    @Test func eventHashesAreUnchanged() throws {
        let (directory, store) = try openCopy()
        let events = try store.readSQLite { try AuditEventRecord.order(AuditEventRecord.Columns.seq).fetchAll($0) }
        #expect(events.count == 14)
        var previous = Hashing.zero
        for event in events.prefix(13) {
            #expect(event.prevHash == previous, "event \(event.seq)")
            #expect(AuditChain.hash(of: event, prevHash: previous) == event.hash, "event \(event.seq)")
            previous = event.hash
        }
        // The head the release wrote, literally.
        #expect(previous == "c0448238ffec2485141997182a908dbcb00de183a9c782ff6aac076041d08d60")
        // Opening sealed the rows the release wrote, chained to its last event.
        let seal = try #require(events.last)
        #expect(seal.action == "tracker.seal" && seal.actor == "sop" && seal.prevHash == previous)
        #expect(AuditChain.hash(of: seal, prevHash: previous) == seal.hash)
        let images = try #require(seal.rowImages.flatMap(RowImage.parse(column:)))
        #expect(images.filter { $0.table == "evidence" }.count == 38)
        #expect(images.filter { $0.table == "customer" }.count == 1)
        #expect(images.filter { $0.table == "item" }.count == 87)
        _ = directory
    }

    /// Every JSON document the release stored (event before/after, check evidence, recorded
    /// runs) comes out of today's canonical writer byte for byte when read and written again:
    /// the upgrade plan, the multi-item transitions and the escaped texts included.
    @Test func storedJSONIsWhatTheCanonicalWriterWrites() throws {
        let (directory, store) = try openCopy()
        try store.readSQLite { db in
            for event in try AuditEventRecord.fetchAll(db) {
                for text in [event.before, event.after] {
                    #expect(Self.rewritten(text) == text, "event \(event.seq)")
                }
            }
            let evidence = try String.fetchAll(db, sql: "SELECT text FROM evidence WHERE kind = 'check'")
            #expect(evidence.count == 35)
            for text in evidence { #expect(Self.rewritten(text) == text) }
            for run in try VerificationRunRecord.fetchAll(db) {
                let decoded = try #require(VerificationRun.decodeStored(Data(run.content.utf8)))
                #expect(CheckEvidenceJSON.encode(decoded) == run.content)
                #expect(Hashing.sha256(CheckEvidenceJSON.encode(decoded)) == run.sha256)
            }
        }
        _ = directory
    }

    /// `text` read into a canonical tree and written again; nil when it does not read.
    static func rewritten(_ text: String) -> String? {
        var reader = JSONReader(Array(text.utf8))
        guard let value = tree(&reader), reader.atEnd else { return nil }
        return value.text
    }

    static func tree(_ reader: inout JSONReader) -> CanonicalJSONValue? {
        switch reader.nextKind() {
        case .object:
            var members: [String: CanonicalJSONValue] = [:]
            let ok = reader.object { reader, key in
                guard let value = tree(&reader) else { return false }
                members[key] = value
                return true
            }
            return ok ? .object(members) : nil
        case .array:
            var elements: [CanonicalJSONValue] = []
            let ok = reader.array { reader in
                guard let value = tree(&reader) else { return false }
                elements.append(value)
                return true
            }
            return ok ? .array(elements) : nil
        case .string: return reader.string().map(CanonicalJSONValue.string)
        case .number:
            var integer = reader
            if let value = integer.integer() {
                reader = integer
                return .int(value)
            }
            return reader.number().map(CanonicalJSONValue.double)
        case .bool: return reader.bool().map(CanonicalJSONValue.bool)
        case .null: return reader.null() ? .null : nil
        case nil: return nil
        }
    }
}
