"""Rule packs: SSB's requirements as data (``resources/rules/*.toml``) and the engine."""
