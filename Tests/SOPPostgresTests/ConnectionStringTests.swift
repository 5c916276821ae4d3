import Testing

@testable import SOPPostgres

/// `--db` tells a server from a file, and a connection string is never shown with its password,
/// however it is written.
@Suite struct ConnectionStringTests {
    @Test(arguments: [
        ("postgresql://sop@db/sop", true), ("postgres://db/sop", true), ("host=db dbname=sop", true),
        ("  service=sop", true), ("dbname = sop", true), ("sop.sqlite", false), ("/srv/sop/sop.sqlite", false),
        ("./host=x", false), ("colour=red", false), ("", false), ("postgresql:/x", false),
    ])
    func tellsAServerFromAFile(text: String, isServer: Bool) {
        #expect(ConnectionString.isConnectionString(text) == isServer)
    }

    @Test(arguments: [
        (
            "postgresql://sop:hunter2@db.internal:5433/tracker?sslmode=verify-full",
            "postgresql://sop@db.internal:5433/tracker?sslmode=verify-full"
        ),
        ("host=db.internal user=sop password=hunter2 dbname=tracker", "postgresql://sop@db.internal/tracker"),
        ("host=db password='hunter 2' dbname=t", "postgresql://db/t"),
        ("service=team", "postgresql:///?service=team"),
        ("postgresql://a%20b:hunter2@[::1]/d", "postgresql://a%20b@%3A%3A1/d"),
    ])
    func redactionDropsThePassword(text: String, shown: String) {
        let connection = ConnectionString(text)
        #expect(connection.redacted == shown)
        #expect(!connection.redacted.contains("hunter"))
    }

    @Test func unparsableTextIsDescribedNotShown() {
        let connection = ConnectionString("postgresql://sop:hunter2%ZZ@db/x")
        #expect(connection.redacted == "a PostgreSQL connection string that libpq cannot parse")
    }

    @Test(arguments: [
        "postgresql://sop:hunter2@db/x", "postgresql://sop:hunter2%ZZ@db/x", "host=db password=hunter2",
        "host=db password = 'hunter2' dbname=x", "postgresql://db/x?password=hunter2&sslmode=require",
    ])
    func messagesAreScrubbedOfAnythingThatCouldBeThePassword(text: String) {
        let connection = ConnectionString(text)
        #expect(connection.scrub("failed near \"hunter2\" and hunter2%ZZ").contains("hunter2") == false)
    }

    @Test func errorsAreOneLine() {
        let error = PostgresError("connection to server failed: Connection refused\n\tIs the server running?\n")
        #expect(error.message == "connection to server failed: Connection refused Is the server running?")
    }
}
