"""The domain: ORM models and the rules about them (access, timecodes), free of HTTP."""
