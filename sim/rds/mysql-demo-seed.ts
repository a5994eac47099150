// The MySQL twin of the demo database (demo-seed.ts): the same shop and row counts, in database
// `demo`, and page views in `demo_analytics` (MySQL has no schemas inside a database, so the PG
// demo's `analytics` schema becomes a second database). Rows come from a numbers table built by
// cross-joining digits, so the seed runs the same on MariaDB 10.x and MySQL 8 (no recursion limits).

/** Bump when the seed's shape changes; the marker row records which version a database holds. */
export const MYSQL_DEMO_SEED_VERSION = 1
export const MYSQL_DEMO_ANALYTICS_DB = 'demo_analytics'

/** Row counts the seed produces (the tests check them). */
export const MYSQL_DEMO_ROW_COUNTS = {
  customers: 1000,
  products: 200,
  orders: 5000,
  order_items: 15000,
  page_views: 10000,
} as const

const DIGITS =
  '(SELECT 0 n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)'

/** Backtick-quotes a MySQL identifier. */
export function quoteMySqlIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}

/** The seed as single statements (run in order, inside the caller's lock), for database `db`. */
export function mysqlDemoSeedStatements(db: string): string[] {
  const d = quoteMySqlIdent(db)
  const a = quoteMySqlIdent(MYSQL_DEMO_ANALYTICS_DB)
  return [
    `CREATE TABLE ${d}.demo_numbers (i INT NOT NULL PRIMARY KEY)`,
    `INSERT INTO ${d}.demo_numbers SELECT a.n + 10 * b.n + 100 * c.n + 1000 * e.n + 1
       FROM ${DIGITS} a CROSS JOIN ${DIGITS} b CROSS JOIN ${DIGITS} c CROSS JOIN ${DIGITS} e`,
    `CREATE TABLE ${d}.customers (
       id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
       external_id CHAR(36) NOT NULL UNIQUE,
       email VARCHAR(255) NOT NULL UNIQUE,
       full_name VARCHAR(100) NOT NULL,
       country CHAR(2) NOT NULL,
       created_at DATETIME(6) NOT NULL,
       is_active BOOLEAN NOT NULL DEFAULT TRUE,
       marketing_opt_in BOOLEAN NULL,
       lifetime_credit DECIMAL(12,2) NOT NULL DEFAULT 0,
       profile JSON NULL,
       notes TEXT NULL
     ) COMMENT 'People who have an account in the demo shop.'`,
    `CREATE TABLE ${d}.products (
       id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
       sku VARCHAR(20) NOT NULL UNIQUE,
       name VARCHAR(100) NOT NULL,
       category VARCHAR(40) NOT NULL,
       price DECIMAL(10,2) NOT NULL CHECK (price >= 0),
       weight_kg FLOAT NULL,
       discontinued BOOLEAN NOT NULL DEFAULT FALSE,
       attributes JSON NOT NULL,
       description TEXT NULL
     )`,
    `CREATE TABLE ${d}.orders (
       id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
       customer_id BIGINT NOT NULL,
       status ENUM('pending','paid','shipped','delivered','cancelled') NOT NULL,
       ordered_at DATETIME(6) NOT NULL,
       shipped_at DATETIME(6) NULL,
       shipping_address JSON NULL,
       coupon_code VARCHAR(20) NULL,
       KEY orders_customer_ordered_at_idx (customer_id, ordered_at),
       CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES ${d}.customers (id)
     )`,
    `CREATE TABLE ${d}.order_items (
       order_id BIGINT NOT NULL,
       line_no INT NOT NULL,
       product_id BIGINT NOT NULL,
       quantity INT NOT NULL CHECK (quantity > 0),
       unit_price DECIMAL(10,2) NOT NULL,
       PRIMARY KEY (order_id, line_no),
       KEY order_items_product_idx (product_id),
       CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES ${d}.orders (id) ON DELETE CASCADE,
       CONSTRAINT order_items_product_fk FOREIGN KEY (product_id) REFERENCES ${d}.products (id)
     )`,
    `CREATE TABLE ${a}.page_views (
       id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
       customer_id BIGINT NULL,
       path VARCHAR(200) NOT NULL,
       viewed_at DATETIME(6) NOT NULL,
       duration_ms INT NULL,
       referrer VARCHAR(500) NULL,
       CONSTRAINT page_views_customer_fk FOREIGN KEY (customer_id) REFERENCES ${d}.customers (id)
     )`,
    `INSERT INTO ${d}.customers (id, external_id, email, full_name, country, created_at, is_active,
                                 marketing_opt_in, lifetime_credit, profile, notes)
     SELECT i,
            CONCAT_WS('-', SUBSTR(MD5(CONCAT('customer-', i)), 1, 8), SUBSTR(MD5(CONCAT('customer-', i)), 9, 4),
                      SUBSTR(MD5(CONCAT('customer-', i)), 13, 4), SUBSTR(MD5(CONCAT('customer-', i)), 17, 4),
                      SUBSTR(MD5(CONCAT('customer-', i)), 21, 12)),
            CONCAT('customer', i, '@example.com'),
            CONCAT(ELT(1 + i % 10, 'Ada','Grace','Alan','Edsger','Barbara','Ken','Margaret','Linus','Radia','Donald'), ' ',
                   ELT(1 + (i * 7) % 10, 'Lovelace','Hopper','Turing','Dijkstra','Liskov','Thompson','Hamilton','Torvalds','Perlman','Knuth')),
            ELT(1 + (i * 3) % 10, 'US','DE','FR','JP','BR','IN','GB','CA','AU','ZA'),
            TIMESTAMP('2022-01-01 00:00:00') + INTERVAL (i * 1237) MINUTE,
            i % 17 <> 0,
            CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END,
            ((i * 7919) % 50000) / 100.0,
            CASE WHEN i % 4 = 0 THEN NULL
                 ELSE JSON_OBJECT('tier', ELT(1 + i % 3, 'bronze','silver','gold'), 'newsletter', i % 2 = 0,
                                  'preferences', JSON_OBJECT('language', ELT(1 + i % 4, 'en','de','fr','ja'))) END,
            CASE WHEN i % 50 = 0 THEN REPEAT(CONCAT('Long support history. Customer called about order ', i, '. '), 40)
                 WHEN i % 7 = 0 THEN 'VIP' END
       FROM ${d}.demo_numbers WHERE i <= 1000`,
    `INSERT INTO ${d}.products (id, sku, name, category, price, weight_kg, discontinued, attributes, description)
     SELECT i, CONCAT('SKU-', LPAD(i, 5, '0')),
            CONCAT(ELT(1 + i % 5, 'Widget','Gadget','Gizmo','Doohickey','Sprocket'), ' ',
                   ELT(1 + (i * 7) % 6, 'Mini','Pro','Max','Classic','Eco','Ultra'), ' ', i),
            ELT(1 + (i * 11) % 5, 'hardware','tools','garden','kitchen','office'),
            ((i * 7919) % 20000 + 99) / 100.0,
            CASE WHEN i % 9 = 0 THEN NULL ELSE ((i * 31) % 5000) / 1000.0 END,
            i % 23 = 0,
            JSON_OBJECT('color', ELT(1 + i % 4, 'red','green','blue','black'), 'size', 1 + i % 5,
                        'dimensions', JSON_ARRAY(i % 30 + 1, i % 20 + 1, i % 10 + 1)),
            CASE WHEN i % 10 = 0 THEN REPEAT('A sturdy, well-reviewed product. ', 30) ELSE CONCAT('Product ', i) END
       FROM ${d}.demo_numbers WHERE i <= 200`,
    `INSERT INTO ${d}.orders (id, customer_id, status, ordered_at, shipped_at, shipping_address, coupon_code)
     SELECT i, 1 + (i * 7919) % 1000,
            ELT(1 + (i * 13) % 7, 'pending','paid','shipped','delivered','delivered','delivered','cancelled'),
            TIMESTAMP('2023-01-01 00:00:00') + INTERVAL (i * 97) MINUTE,
            CASE WHEN (i * 13) % 7 IN (2, 3, 4, 5) THEN TIMESTAMP('2023-01-01 00:00:00') + INTERVAL (i * 97 + 2880) MINUTE END,
            JSON_OBJECT('street', CONCAT(i % 400, ' Main St'),
                        'city', ELT(1 + i % 5, 'Springfield','Berlin','Lyon','Osaka','Recife'), 'zip', LPAD(i % 99999, 5, '0')),
            CASE WHEN i % 11 = 0 THEN CONCAT('SAVE', i % 30) END
       FROM ${d}.demo_numbers WHERE i <= 5000`,
    `INSERT INTO ${d}.order_items (order_id, line_no, product_id, quantity, unit_price)
     SELECT o.i, l.i, p.id, 1 + (o.i * l.i) % 4, p.price
       FROM ${d}.demo_numbers o
       JOIN ${d}.demo_numbers l ON l.i <= 3
       JOIN ${d}.products p ON p.id = 1 + (o.i * 31 + l.i * 17) % 200
      WHERE o.i <= 5000`,
    `INSERT INTO ${a}.page_views (id, customer_id, path, viewed_at, duration_ms, referrer)
     SELECT i, CASE WHEN i % 6 = 0 THEN NULL ELSE 1 + (i * 37) % 1000 END,
            ELT(1 + i % 6, '/','/products','/cart','/checkout','/account','/search?q=widget'),
            TIMESTAMP('2024-01-01 00:00:00') + INTERVAL (i * 53) SECOND,
            CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 7919) % 60000 END,
            CASE WHEN i % 3 = 0 THEN CONCAT('https://search.example.com/?q=', i) END
       FROM ${d}.demo_numbers`,
    `DROP TABLE ${d}.demo_numbers`,
    `CREATE VIEW ${d}.order_totals AS
     SELECT o.id AS order_id, o.customer_id, c.full_name AS customer_name, o.status, o.ordered_at,
            COUNT(oi.line_no) AS item_count, SUM(oi.quantity * oi.unit_price) AS total
       FROM ${d}.orders o
       JOIN ${d}.customers c ON c.id = o.customer_id
       LEFT JOIN ${d}.order_items oi ON oi.order_id = o.id
      GROUP BY o.id, o.customer_id, c.full_name, o.status, o.ordered_at`,
    `CREATE VIEW ${a}.daily_revenue AS
     SELECT DATE(ordered_at) AS day, COUNT(*) AS orders, SUM(total) AS revenue
       FROM ${d}.order_totals WHERE status <> 'cancelled' GROUP BY DATE(ordered_at)`,
    `ANALYZE TABLE ${d}.customers, ${d}.products, ${d}.orders, ${d}.order_items, ${a}.page_views`,
    `CREATE TABLE ${d}.demo_seed_info (version INT NOT NULL, seeded_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
    `INSERT INTO ${d}.demo_seed_info (version) VALUES (${MYSQL_DEMO_SEED_VERSION})`,
  ]
}
