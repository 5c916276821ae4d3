import Foundation
import TestSupport
import Testing

@testable import SOPRender

/// The packet's ZIP: stored entries whose bytes and CRCs a stock reader accepts.
@Suite struct PacketArchiveTests {
    @Test func crc32IsTheIEEEChecksum() {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Data()) == 0)
    }

    @Test func pythonsZipfileReadsEveryEntryBack() throws {
        let directory = TemporaryDirectory("sop-zip")
        let folder = directory.path("packet")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("evidence"), withIntermediateDirectories: true)
        try Data("<html>packet</html>".utf8).write(to: folder.appendingPathComponent("handover.html"))
        try Data([0, 1, 2, 255]).write(to: folder.appendingPathComponent("evidence/E1-ä.bin"))
        let zip = try PacketArchive.zip(folder: folder, root: "acme-handover")
        let file = directory.path("packet.zip")
        try zip.write(to: file)
        let check = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", "-c",
                "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; "
                    + "print(sorted((i.filename, z.read(i).hex()) for i in z.infolist()))",
                file.path,
            ])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("('acme-handover/evidence/E1-ä.bin', '000102ff')"))
        #expect(
            check.stdout.contains(
                "('acme-handover/handover.html', '\(Data("<html>packet</html>".utf8).map { String(format: "%02x", $0) }.joined())')"
            ))
    }
}
