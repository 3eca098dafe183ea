extension UnsafeMutablePointer {
    /// Moves the first `count` values to a new allocation of `capacity` and frees this one.
    func reallocated(keeping count: Int, capacity: Int) -> UnsafeMutablePointer<Pointee> {
        let grown = UnsafeMutablePointer<Pointee>.allocate(capacity: capacity)
        grown.moveInitialize(from: self, count: count)
        deallocate()
        return grown
    }
}
