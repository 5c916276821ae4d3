import AWSClient
import Foundation
import Testing

@testable import SOPChecks

/// The data declarations (`DataKey.declare()`) agree with the fetch groups, the fetchers and
/// the snapshot: every key is gathered by exactly one group, and fetching a group puts an
/// answer in exactly its keys' fields, through calls the keys declare.
///
/// The transport refuses every request with a code of the test's choosing, so every key's
/// answer is a failure carrying that code: a key its group forgets stays `notFetched`, and a
/// field filled from the wrong fetch carries the wrong code.
@Suite struct FetchedDataTests {
    /// Answers every request with an AWS error `code` (a JSON body, which every protocol's
    /// error parser reads); nothing leaves the process.
    final class RefusingTransport: HTTPTransport {
        let code: String

        init(code: String) { self.code = code }

        func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
            HTTPResponse(status: 400, body: Data(#"{"__type":"\#(code)","message":"refused by the test"}"#.utf8))
        }
    }

    static func client(refusingWith code: String) -> AWSClient {
        AWSClient(
            AWSClientConfiguration(
                region: "us-east-1",
                credentials: StaticCredentialsProvider(
                    Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example")),
                endpoints: EndpointResolver(environment: ["AWS_ENDPOINT_URL": "http://refused.invalid"]), retry: .none,
                transport: RefusingTransport(code: code)))
    }

    static func context(refusingWith code: String, trace: CallTrace = CallTrace()) -> FetchContext {
        FetchContext(
            client: client(refusingWith: code), trace: trace, limiter: RequestLimiter(maxInFlight: 16),
            accountId: "123456789012", primaryRegion: "us-east-1")
    }

    static func isNotFetched(_ answer: Fetched<Void>) -> Bool {
        if case .notFetched = answer { return true }
        return false
    }

    @Test func everyKeyIsInExactlyOneGroup() {
        let memberships = FetchGroup.allCases.flatMap { group in group.keys.map { (key: $0, group: group) } }
        #expect(memberships.map(\.key).sorted() == DataKey.allCases, "a key is in no group, or in two")
        for key in DataKey.allCases {
            #expect(memberships.filter { $0.key == key }.map(\.group) == [key.declaration.group])
            #expect(!key.calls.isEmpty, "\(key) declares no call")
        }
        for group in FetchGroup.allCases { #expect(!group.keys.isEmpty, "\(group) fetches nothing") }
    }

    /// Each key fetched alone, then each group's keys of one scope together (as the runner
    /// asks for them): exactly the asked keys are answered, with the refusal of one of their
    /// declared calls, and no undeclared call is sent.
    @Test func fetchingAGroupAnswersExactlyItsKeys() async {
        var requests: [(group: FetchGroup, keys: Set<DataKey>)] = DataKey.allCases.map { ($0.declaration.group, [$0]) }
        for group in FetchGroup.allCases {
            for scope in [Scope.global, .regional] {
                let keys = group.keys.filter { $0.scope == scope }
                if keys.count > 1 { requests.append((group, keys)) }
            }
        }
        for (group, keys) in requests {
            let trace = CallTrace()
            let context = Self.context(refusingWith: "RefusedByTest", trace: trace)
            let answers = await group.fetch(keys, region: "eu-west-1", context: context)
            let asked = keys.sorted().map(\.rawValue).joined(separator: ", ")
            for key in DataKey.allCases {
                let answer = key.declaration.answer(answers)
                guard keys.contains(key) else {
                    #expect(Self.isNotFetched(answer), "fetching \(group) for [\(asked)] also answered \(key)")
                    continue
                }
                guard let failure = answer.failure else {
                    let state = Self.isNotFetched(answer) ? "not fetched" : "with a value"
                    Issue.record("fetching \(group) for [\(asked)] left \(key) \(state)")
                    continue
                }
                #expect(failure.code == "RefusedByTest", "\(key): \(failure)")
                #expect(
                    key.calls.map(\.description).contains(failure.operation),
                    "\(key) failed on \(failure.operation), which it does not declare")
            }
            let declared = Set(keys.flatMap(\.calls).map(\.description))
            #expect(!trace.all.isEmpty)
            for call in trace.all {
                #expect(
                    declared.contains(call.call),
                    "fetching \(group) for [\(asked)] sent \(call.call), which none of them declares")
            }
        }
    }

    /// Account-wide answers merged into the account's snapshot, regional ones into a region's,
    /// and the region laid over the account as the runner does: each field holds the answer
    /// of its own scope.
    @Test func answersMergeIntoTheirFieldsAndRegionsOverlayTheAccount() async {
        var global = Snapshot()
        var regional = Snapshot()
        for group in FetchGroup.allCases {
            let accountKeys = group.keys.filter { $0.scope == .global }
            if !accountKeys.isEmpty {
                let context = Self.context(refusingWith: "AccountRefused")
                let answers = await group.fetch(accountKeys, region: "us-east-1", context: context)
                DataKey.merge(accountKeys, from: answers, into: &global)
            }
            let regionKeys = group.keys.filter { $0.scope == .regional }
            if !regionKeys.isEmpty {
                let context = Self.context(refusingWith: "RegionRefused")
                let answers = await group.fetch(regionKeys, region: "eu-west-1", context: context)
                DataKey.merge(regionKeys, from: answers, into: &regional)
            }
        }
        let merged = global.overlaying(regional: regional)
        for key in DataKey.allCases {
            let declaration = key.declaration
            let expected = key.scope == .regional ? "RegionRefused" : "AccountRefused"
            #expect(declaration.answer(merged).failure?.code == expected, "\(key) in the merged snapshot")
            #expect(
                Self.isNotFetched(declaration.answer(key.scope == .regional ? global : regional)),
                "\(key) landed in the snapshot of the other scope")
        }
        // A region with nothing fetched hides nothing of another region behind the account's data.
        let bare = merged.overlaying(regional: Snapshot())
        for key in DataKey.allCases {
            #expect(Self.isNotFetched(key.declaration.answer(bare)) == (key.scope == .regional), "\(key)")
        }
    }

    /// The whole runner on a refusing account: every check errs on the refusal itself, none on
    /// data that was never fetched (a key left out of its group would).
    @Test func everyCheckSeesItsDataFetched() async {
        let verifier = Verifier(client: Self.client(refusingWith: "RefusedByTest"), maxConcurrentRequests: 16)
        let run = await verifier.run(
            checks: CheckCatalog.all, accountId: "123456789012", regions: ["us-east-1", "eu-west-1"],
            parameters: [:])
        let regional = CheckCatalog.all.filter { $0.scope == .regional }.count
        #expect(run.results.count == CheckCatalog.all.count + regional)
        for result in run.results {
            #expect(result.outcome == .error, "\(result.check)@\(result.region): \(result.outcome.rawValue)")
            #expect(
                !result.summary.contains("NotFetched") && !result.summary.contains("was not fetched"),
                "\(result.check)@\(result.region): \(result.summary)")
            #expect(result.summary.contains("RefusedByTest"), "\(result.check)@\(result.region): \(result.summary)")
        }
    }
}
