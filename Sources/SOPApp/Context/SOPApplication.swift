/// The application layer: one typed entry point per use case, the same for every front end.
///
/// A front end builds an ``AppContext``, calls one method with a typed request and formats the
/// typed result; errors are ``AppError``s whose kind the front end maps once (the CLI to an exit
/// code through ``Verdict/exitCode``). Every rule lives here or below; none in a front end.
public struct SOPApplication: Sendable {
    public var context: AppContext

    public init(_ context: AppContext) { self.context = context }
}
