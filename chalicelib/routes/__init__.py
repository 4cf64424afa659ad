"""HTTP routes: one blueprint per area. Thin: parse, call one chalicelib function, shape the answer."""
