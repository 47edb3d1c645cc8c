-- Cooperatives, their products and the stock ledger (SQLite).
-- Money is integer centimes of MAD; quantities are integers in the product's unit.

-- Support programmes of the council (Mouaazara, Tamkine, ...): data an admin manages.
CREATE TABLE programmes (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL CONSTRAINT programmes_code_key UNIQUE,
    name_fr TEXT NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL
);
INSERT INTO programmes (code, name_fr, name_ar, name_en) VALUES
    ('mouaazara', 'Mouaazara', 'مؤازرة', 'Mouaazara'),
    ('tamkine', 'Tamkine', 'تمكين', 'Tamkine');

-- A cooperative is public only once an admin has verified it.
CREATE TABLE cooperatives (
    id                  INTEGER PRIMARY KEY,
    name_fr             TEXT NOT NULL,
    name_ar             TEXT NOT NULL,
    registration_number TEXT NOT NULL CONSTRAINT cooperatives_registration_key UNIQUE,
    province_id         INTEGER NOT NULL CONSTRAINT cooperatives_province_fk REFERENCES provinces (id),
    address             TEXT NOT NULL,
    lat                 REAL,
    lon                 REAL,
    description_fr      TEXT NOT NULL,
    description_ar      TEXT NOT NULL,
    description_en      TEXT NOT NULL,
    phone               TEXT NOT NULL,
    email               TEXT NOT NULL,
    member_count        INTEGER NOT NULL CONSTRAINT cooperatives_members_check CHECK (member_count >= 1),
    women_led           INTEGER NOT NULL CONSTRAINT cooperatives_women_check CHECK (women_led IN (0, 1)),
    youth_led           INTEGER NOT NULL CONSTRAINT cooperatives_youth_check CHECK (youth_led IN (0, 1)),
    labels              TEXT NOT NULL,
    logo                TEXT,
    status              TEXT NOT NULL CONSTRAINT cooperatives_status_check CHECK (status IN ('pending', 'verified', 'suspended')),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX cooperatives_province_idx ON cooperatives (province_id, status);

CREATE TABLE cooperative_programmes (
    cooperative_id INTEGER NOT NULL CONSTRAINT coop_programmes_coop_fk REFERENCES cooperatives (id) ON DELETE CASCADE,
    programme_id   INTEGER NOT NULL CONSTRAINT coop_programmes_programme_fk REFERENCES programmes (id),
    PRIMARY KEY (cooperative_id, programme_id)
);

-- Who acts for a cooperative: one cooperative per user account.
CREATE TABLE cooperative_members (
    user_id        INTEGER PRIMARY KEY CONSTRAINT coop_members_user_fk REFERENCES users (id) ON DELETE CASCADE,
    cooperative_id INTEGER NOT NULL CONSTRAINT coop_members_coop_fk REFERENCES cooperatives (id) ON DELETE CASCADE
);
CREATE INDEX cooperative_members_coop_idx ON cooperative_members (cooperative_id);

-- The product taxonomy, seeded here; its codes are stable (CSV files name them).
CREATE TABLE categories (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL CONSTRAINT categories_code_key UNIQUE,
    position INTEGER NOT NULL,
    name_fr  TEXT NOT NULL,
    name_ar  TEXT NOT NULL,
    name_en  TEXT NOT NULL
);
INSERT INTO categories (code, position, name_fr, name_ar, name_en) VALUES
    ('olive_oil', 1, 'Huile d''olive', 'زيت الزيتون', 'Olive oil'),
    ('honey', 2, 'Miel', 'العسل', 'Honey'),
    ('aromatic_plants', 3, 'Plantes aromatiques et médicinales', 'النباتات العطرية والطبية', 'Aromatic and medicinal plants'),
    ('dried_fruit', 4, 'Fruits secs et figues', 'الفواكه الجافة والتين', 'Dried fruit and figs'),
    ('cereals', 5, 'Céréales et couscous', 'الحبوب والكسكس', 'Cereals and couscous'),
    ('dairy', 6, 'Produits laitiers', 'منتجات الحليب', 'Dairy'),
    ('cosmetics', 7, 'Cosmétiques naturels', 'مستحضرات التجميل الطبيعية', 'Natural cosmetics'),
    ('carpets_textiles', 8, 'Tapis et textiles', 'الزرابي والنسيج', 'Carpets and textiles'),
    ('pottery', 9, 'Poterie et céramique', 'الفخار والخزف', 'Pottery and ceramics'),
    ('leather', 10, 'Cuir', 'الجلد', 'Leather'),
    ('wood', 11, 'Bois', 'الخشب', 'Wood'),
    ('preserves', 12, 'Conserves et confitures', 'المصبرات والمربى', 'Preserves and jams');

-- Products. `available` is the stock level, kept equal to the sum of the product's
-- movements in the same transaction as each movement (`souk check stock` proves it);
-- the CHECK is the last line against overselling. `search_text` is the names and
-- descriptions in the three languages, normalised by the application (case, Latin
-- accents, Arabic vowel marks and letter variants) and indexed for full-text search.
CREATE TABLE products (
    id                  INTEGER PRIMARY KEY,
    cooperative_id      INTEGER NOT NULL CONSTRAINT products_coop_fk REFERENCES cooperatives (id),
    category_id         INTEGER NOT NULL CONSTRAINT products_category_fk REFERENCES categories (id),
    sku                 TEXT NOT NULL,
    name_fr             TEXT NOT NULL,
    name_ar             TEXT NOT NULL,
    name_en             TEXT NOT NULL,
    description_fr      TEXT NOT NULL,
    description_ar      TEXT NOT NULL,
    description_en      TEXT NOT NULL,
    unit                TEXT NOT NULL CONSTRAINT products_unit_check CHECK (unit IN ('kg', 'litre', 'piece', 'jar', 'bottle', 'bag', 'box')),
    unit_net            INTEGER CONSTRAINT products_unit_net_check CHECK (unit_net IS NULL OR unit_net > 0),
    price_centimes      INTEGER NOT NULL CONSTRAINT products_price_check CHECK (price_centimes > 0),
    available           INTEGER NOT NULL DEFAULT 0 CONSTRAINT products_available_check CHECK (available >= 0),
    low_stock_threshold INTEGER NOT NULL DEFAULT 0 CONSTRAINT products_threshold_check CHECK (low_stock_threshold >= 0),
    status              TEXT NOT NULL CONSTRAINT products_status_check CHECK (status IN ('active', 'archived')),
    search_text         TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CONSTRAINT products_sku_key UNIQUE (cooperative_id, sku)
);
CREATE INDEX products_catalogue_idx ON products (status, category_id, price_centimes);
CREATE INDEX products_coop_idx ON products (cooperative_id, status);

-- Quality signs (IGP, AOP, organic, Label Agricole) with the certificate reference.
CREATE TABLE product_quality_signs (
    product_id      INTEGER NOT NULL CONSTRAINT quality_signs_product_fk REFERENCES products (id) ON DELETE CASCADE,
    sign            TEXT NOT NULL CONSTRAINT quality_signs_sign_check CHECK (sign IN ('igp', 'aop', 'organic', 'label_agricole')),
    certificate_ref TEXT NOT NULL,
    PRIMARY KEY (product_id, sign)
);
CREATE INDEX product_quality_signs_sign_idx ON product_quality_signs (sign, product_id);

-- Photos: files under the data directory (`<file>.jpg` and `<file>-thumb.jpg`).
CREATE TABLE product_photos (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL CONSTRAINT photos_product_fk REFERENCES products (id) ON DELETE CASCADE,
    file       TEXT NOT NULL CONSTRAINT photos_file_key UNIQUE,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX product_photos_product_idx ON product_photos (product_id, position);

-- The stock ledger: one row per change, `quantity` signed (received +, held -, ...).
-- Rows are never updated or deleted; the product's `available` is their sum.
CREATE TABLE stock_movements (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL CONSTRAINT movements_product_fk REFERENCES products (id),
    kind       TEXT NOT NULL CONSTRAINT movements_kind_check CHECK (kind IN ('received', 'adjusted', 'held', 'released', 'sold', 'returned')),
    quantity   INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    user_id    INTEGER CONSTRAINT movements_user_fk REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX stock_movements_product_idx ON stock_movements (product_id, id);

-- Full-text search (SQLite's FTS5) over the normalised text, kept in step by triggers.
CREATE VIRTUAL TABLE products_fts USING fts5(search_text, content='products', content_rowid='id');
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF search_text ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO products_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
