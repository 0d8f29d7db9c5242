import Foundation
import MKServiceRuntime
import Testing

@Suite("UUID text and random UUIDs")
struct UUIDTests {
    @Test func lowercaseTextIsFoundationsTextLowercased() {
        let fixed = [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
            UUID(uuidString: "0123ABCD-4567-89EF-FEDC-BA9876543210")!,
        ]
        for uuid in fixed + (0..<1_000).map({ _ in UUID() }) {
            #expect(uuid.lowercaseText == uuid.uuidString.lowercased())
        }
        #expect(fixed[2].lowercaseText == "0123abcd-4567-89ef-fedc-ba9876543210")
        #expect(UUID(uuidString: fixed[2].lowercaseText) == fixed[2])
    }

    @Test func randomUUIDsAreVersion4AndDistinct() {
        let drawn = (0..<1_000).map { _ in UUID.random() }
        #expect(Set(drawn).count == drawn.count)
        for uuid in drawn {
            #expect(uuid.uuid.6 >> 4 == 4, "version 4: \(uuid)")
            #expect(uuid.uuid.8 >> 6 == 0b10, "RFC 4122 variant: \(uuid)")
        }
    }
}
