"""What every feature of the desktop app shares: the project session, background jobs, where
settings and files live, the interface language, error wording and style. It imports no feature
package of ``bertdesk.gui``, so any of them can import it without a circle."""
