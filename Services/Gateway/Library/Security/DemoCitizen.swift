/// A citizen the development identity provider can sign in as.
public struct DemoCitizen: Sendable, Equatable {
    /// The subject identifier.
    public var subject: String
    /// The name shown.
    public var name: String

    /// The demo citizens (the same ones the demo data uses).
    public static let all: [DemoCitizen] = [
        DemoCitizen(subject: "demo-jana-novakova", name: "Jana Nováková"),
        DemoCitizen(subject: "demo-petr-svoboda", name: "Petr Svoboda"),
        DemoCitizen(subject: "demo-eva-dvorakova", name: "Eva Dvořáková"),
    ]
}
