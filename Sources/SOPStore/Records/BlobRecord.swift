import Foundation
import GRDB
import SOPCore

/// A row of `blob`: file bytes stored once, named by their SHA-256.
struct BlobRecord: SnakeCaseRecord, PersistableRecord, Equatable {
    static let databaseTableName = "blob"

    var sha256: String
    var size: Int
    var bytes: Data

    enum Columns {
        static let sha256 = Column("sha256")
        static let size = Column("size")
    }
}
