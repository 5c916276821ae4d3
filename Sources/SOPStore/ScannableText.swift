import CZlib
import Foundation

/// The texts inside an evidence file that the secret scanner reads.
///
/// A gzip file is inflated, a zip archive is opened entry by entry (stored and deflate
/// entries; entry names are scanned too), UTF-16 text (LE or BE, with or without a byte
/// order mark) is decoded, UTF-8 text is read as is and other binary content is not
/// scanned. Archives nest. Everything is bounded: the decompressed bytes of all levels
/// together never exceed the evidence limit, archives nest at most `maxDepth` deep and hold
/// at most `maxEntries` entries, so a zip bomb is refused in one line instead of filling
/// memory. What cannot be read (a damaged, encrypted or zip64 archive) is refused as well,
/// since it cannot be shown to be free of secrets.
enum ScannableText {
    static let maxDepth = 4
    static let maxEntries = 10_000

    enum Problem: Error, Equatable {
        case tooLarge
        case tooDeep
        case tooManyEntries
        case encrypted
        case unsupported
        case damaged
    }

    /// Every text to scan in `data`; throws a one-line refusal naming `name` when it cannot be scanned.
    static func texts(in data: Data, name: String, limit: Int) throws(StoreError) -> [String] {
        do {
            return try texts(in: data, limit: limit)
        } catch {
            let reason: String
            switch error {
            case .tooLarge:
                reason = "its decompressed content is larger than the evidence limit of \(ByteCount.format(limit))"
            case .tooDeep: reason = "archives are nested more than \(maxDepth) deep"
            case .tooManyEntries: reason = "an archive holds more than \(maxEntries) entries"
            case .encrypted: reason = "an archive entry is encrypted"
            case .unsupported: reason = "an archive uses a format or compression method that is not supported"
            case .damaged: reason = "it is a damaged or truncated archive"
            }
            throw StoreError(.refused, "refused: file \(name) cannot be scanned for secrets: \(reason)")
        }
    }

    static func texts(in data: Data, limit: Int) throws(Problem) -> [String] {
        var budget = Budget(bytes: max(0, limit), entries: maxEntries)
        var texts: [String] = []
        try collect([UInt8](data), depth: 0, budget: &budget, into: &texts)
        return texts
    }

    struct Budget {
        /// Decompressed bytes still allowed, over all levels.
        var bytes: Int
        /// Archive entries still allowed, over all levels.
        var entries: Int

        mutating func spend(_ count: Int) throws(Problem) {
            guard count <= bytes else { throw .tooLarge }
            bytes -= count
        }
    }

    private static func collect(_ bytes: [UInt8], depth: Int, budget: inout Budget, into texts: inout [String])
        throws(Problem)
    {
        if isGzip(bytes) {
            guard depth < maxDepth else { throw .tooDeep }
            let inflated = try inflate(bytes[...], windowBits: 15 + 16, maxOutput: budget.bytes, gzip: true)
            try budget.spend(inflated.count)
            try collect(inflated, depth: depth + 1, budget: &budget, into: &texts)
        } else if isZip(bytes) {
            guard depth < maxDepth else { throw .tooDeep }
            for entry in try zipEntries(bytes, budget: &budget) {
                texts.append(entry.name)
                let content: [UInt8]
                switch entry.method {
                case 0: content = Array(entry.data)
                case 8: content = try inflate(entry.data, windowBits: -15, maxOutput: budget.bytes, gzip: false)
                default: throw .unsupported
                }
                try budget.spend(content.count)
                try collect(content, depth: depth + 1, budget: &budget, into: &texts)
            }
        } else if let text = utf16Text(bytes) {
            texts.append(text)
        } else if MediaType.looksLikeText(Data(bytes)) {
            texts.append(String(decoding: bytes, as: UTF8.self))
        }
    }

    // MARK: - Formats

    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0x1f && bytes[1] == 0x8b && bytes[2] == 8
    }

    static func isZip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4b
            && ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6))
    }

    /// UTF-16 text: a byte order mark, or (without one) NULs in nearly every other byte
    /// and almost none in the rest, as ASCII-range text encoded in UTF-16 has.
    static func utf16Text(_ bytes: [UInt8]) -> String? {
        if bytes.count >= 2, bytes[0] == 0xff, bytes[1] == 0xfe {
            if bytes.count >= 4, bytes[2] == 0, bytes[3] == 0 { return nil }  // UTF-32 LE
            return decodeUTF16(bytes[2...], bigEndian: false)
        }
        if bytes.count >= 2, bytes[0] == 0xfe, bytes[1] == 0xff { return decodeUTF16(bytes[2...], bigEndian: true) }
        guard bytes.count >= 4, bytes.count % 2 == 0 else { return nil }
        let sample = bytes.prefix(8192)
        var evenZeros = 0
        var oddZeros = 0
        for (index, byte) in sample.enumerated() where byte == 0 {
            if index % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        let pairs = sample.count / 2
        if oddZeros * 10 >= pairs * 6 && evenZeros * 10 <= pairs { return decodeUTF16(bytes[...], bigEndian: false) }
        if evenZeros * 10 >= pairs * 6 && oddZeros * 10 <= pairs { return decodeUTF16(bytes[...], bigEndian: true) }
        return nil
    }

    /// The text, or nil when it holds a NUL code unit (binary content, as `looksLikeText` judges UTF-8).
    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> String? {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let a = UInt16(bytes[index])
            let b = UInt16(bytes[index + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            index += 2
        }
        if units.contains(0) { return nil }
        return String(decoding: units, as: UTF16.self)
    }

    // MARK: - Zip

    struct ZipEntry {
        var name: String
        var method: Int
        var data: ArraySlice<UInt8>
    }

    /// The entries named by the central directory, each located through its local header.
    static func zipEntries(_ bytes: [UInt8], budget: inout Budget) throws(Problem) -> [ZipEntry] {
        // End of central directory: 22 bytes plus a comment of up to 65,535 bytes, at the end.
        guard bytes.count >= 22 else { throw .damaged }
        var eocd: Int?
        var position = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4b, bytes[position + 2] == 5,
                bytes[position + 3] == 6
            {
                eocd = position
                break
            }
            position -= 1
        }
        guard let end = eocd else { throw .damaged }
        let count = try u16(bytes, end + 10)
        let directoryOffset = try u32(bytes, end + 16)
        if count == 0xffff || directoryOffset == 0xffff_ffff { throw .unsupported }  // zip64
        guard count <= budget.entries else { throw .tooManyEntries }
        budget.entries -= count
        var entries: [ZipEntry] = []
        var compressedTotal = 0
        var cursor = directoryOffset
        for _ in 0..<count {
            guard try u32(bytes, cursor) == 0x0201_4b50 else { throw .damaged }
            let flags = try u16(bytes, cursor + 8)
            let method = try u16(bytes, cursor + 10)
            let compressedSize = try u32(bytes, cursor + 20)
            let nameLength = try u16(bytes, cursor + 28)
            let extraLength = try u16(bytes, cursor + 30)
            let commentLength = try u16(bytes, cursor + 32)
            let localOffset = try u32(bytes, cursor + 42)
            guard cursor + 46 + nameLength <= bytes.count else { throw .damaged }
            let name = String(decoding: bytes[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
            cursor += 46 + nameLength + extraLength + commentLength
            if compressedSize == 0xffff_ffff || localOffset == 0xffff_ffff { throw .unsupported }
            if flags & 1 != 0 { throw .encrypted }
            guard try u32(bytes, localOffset) == 0x0403_4b50 else { throw .damaged }
            let start = localOffset + 30 + (try u16(bytes, localOffset + 26)) + (try u16(bytes, localOffset + 28))
            guard start <= bytes.count, compressedSize <= bytes.count - start else { throw .damaged }
            // Entries that share their data (an overlapping-entry bomb) are not read twice.
            compressedTotal += compressedSize
            guard compressedTotal <= bytes.count else { throw .damaged }
            entries.append(ZipEntry(name: name, method: method, data: bytes[start..<(start + compressedSize)]))
        }
        return entries
    }

    private static func u16(_ bytes: [UInt8], _ offset: Int) throws(Problem) -> Int {
        guard offset >= 0, offset + 2 <= bytes.count else { throw .damaged }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ offset: Int) throws(Problem) -> Int {
        guard offset >= 0, offset + 4 <= bytes.count else { throw .damaged }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
            | Int(bytes[offset + 3]) << 24
    }

    // MARK: - Inflate

    /// Inflates `input` (gzip members with `gzip`, raw deflate otherwise), stopping with
    /// `.tooLarge` as soon as the output would pass `maxOutput`.
    static func inflate(_ input: ArraySlice<UInt8>, windowBits: Int32, maxOutput: Int, gzip: Bool) throws(Problem)
        -> [UInt8]
    {
        if input.isEmpty {
            if gzip { throw .damaged }
            return []
        }
        var stream = z_stream()
        guard czlib_inflate_init2(&stream, windowBits) == Z_OK else { throw .damaged }
        defer { inflateEnd(&stream) }
        let chunk = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        var output: [UInt8] = []
        let problem: Problem? = input.withUnsafeBufferPointer { source -> Problem? in
            guard let base = source.baseAddress else { return .damaged }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = uInt(source.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(chunk)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                if produced > maxOutput - output.count { return .tooLarge }
                output.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_OK: continue
                case Z_STREAM_END:
                    // A gzip file may hold several members one after the other.
                    if gzip, stream.avail_in >= 2, stream.next_in[0] == 0x1f, stream.next_in[1] == 0x8b {
                        guard inflateReset(&stream) == Z_OK else { return .damaged }
                        continue
                    }
                    return nil
                default: return .damaged  // Z_BUF_ERROR: truncated; others: corrupt
                }
            }
        }
        if let problem { throw problem }
        return output
    }
}
