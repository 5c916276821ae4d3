/// An AWS Config recorder with its status, as the recorder and status calls report them.
public struct ConfigRecorder: Sendable, Equatable, Codable {
    public var name: String
    public var allSupported: Bool
    public var includeGlobalResourceTypes: Bool
    public var recording: Bool
    public var lastStatus: String?

    public init(
        name: String = "default", allSupported: Bool = true, includeGlobalResourceTypes: Bool = true,
        recording: Bool = true, lastStatus: String? = "SUCCESS"
    ) {
        self.name = name
        self.allSupported = allSupported
        self.includeGlobalResourceTypes = includeGlobalResourceTypes
        self.recording = recording
        self.lastStatus = lastStatus
    }
}

public struct ConfigSetup: Sendable, Equatable, Codable {
    public var recorders: [ConfigRecorder]
    public var deliveryChannels: [String]

    public init(recorders: [ConfigRecorder] = [], deliveryChannels: [String] = []) {
        self.recorders = recorders
        self.deliveryChannels = deliveryChannels
    }
}

public struct ConfigRule: Sendable, Equatable, Codable {
    public var name: String
    public var owner: String
    public var sourceIdentifier: String
    public var state: String
    /// The rule's InputParameters JSON object, decoded to strings (`tag1Key` → `Environment`).
    public var inputParameters: [String: String]

    public init(
        name: String, owner: String = "AWS", sourceIdentifier: String, state: String = "ACTIVE",
        inputParameters: [String: String] = [:]
    ) {
        self.name = name
        self.owner = owner
        self.sourceIdentifier = sourceIdentifier
        self.state = state
        self.inputParameters = inputParameters
    }

    public var isActiveManaged: Bool { owner == "AWS" && state == "ACTIVE" }
}
