-- The language each user chose (the language switch, or the one they signed up in):
-- messages they are sent by email are written in it.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'fr'
    CONSTRAINT users_language_check CHECK (language IN ('fr', 'ar', 'en'));
