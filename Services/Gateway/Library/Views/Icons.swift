/// Inline SVG icons, decorative (hidden from assistive technology; their links carry labels).
enum Icons {
    /// A pencil, for "rename".
    static let pencil: HTML = """
        <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24"><path \
        fill="currentColor" d="M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zm17.71-10.21a1 1 0 0 0 \
        0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z"/></svg>
        """
}
