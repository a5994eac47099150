// The SQL a new console starts with. It runs on the demo database (sim/rds/demo-seed.ts: the
// `orders` table) and shows a paged 100k-row generated result; a test runs it against the demo.
export const STARTER_SQL = `select * from orders;
select n, 'row ' || n as label, jsonb_build_object('n', n, 'even', n % 2 = 0) as doc
from generate_series(1, 100000) as g(n);`
