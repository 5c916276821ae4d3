import SOPStore

extension SOPApplication {
    /// The kind of secret `text` seems to hold (`"a private key"`), for front ends that must not
    /// echo a value they refuse (an argument parser's error quotes the argument it rejected).
    public static func secretKind(in text: String) -> String? {
        SecretScanner.scan(text).first?.kind.rawValue
    }
}
