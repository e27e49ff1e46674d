/// Draws the fault, if any, for each request from a ``FaultPlan``, and counts what it did.
actor FaultInjector {
    /// What happens to one request.
    enum Fault: Equatable {
        case status(Int)
        case hang
    }

    let plan: FaultPlan
    private var generator: SplitMix64
    private(set) var requests: [String: Int] = [:]
    private(set) var injected: [String: Int] = [:]

    init(plan: FaultPlan) {
        self.plan = plan
        generator = SplitMix64(seed: plan.seed ?? UInt64.random(in: .min ... .max))
    }

    /// The fault for the next request on `route`; nil to answer it normally.
    func next(route: String) -> Fault? {
        requests[route, default: 0] += 1
        guard plan.failureRate > 0 else { return nil }
        var draw = Double(generator.next() >> 11) / Double(1 << 53)
        var fault: Fault?
        for (rate, candidate) in [
            (plan.rateLimited, Fault.status(429)), (plan.serverError, .status(500)), (plan.overloaded, .status(529)),
            (plan.hang, .hang),
        ] {
            if draw < rate {
                fault = candidate
                break
            }
            draw -= rate
        }
        if let fault {
            let name =
                switch fault {
                case .status(let status): "\(status)"
                case .hang: "hang"
                }
            injected[name, default: 0] += 1
        }
        return fault
    }

    /// Requests per route and faults injected by kind.
    func statistics() -> (requests: [String: Int], faults: [String: Int]) {
        (requests, injected)
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
