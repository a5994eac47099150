// Shared by the MySQL integration tests: whether a MariaDB/MySQL server answers, so the tests skip
// with a clear message on a machine without one (.ci/run installs mariadb-server).
import net from 'node:net'

/** '' when 127.0.0.1:3306 (or PORTHOLE_MYSQL_URL's host) accepts TCP, else why the tests skip. */
export async function mysqlSkipReason(): Promise<string> {
  const url = new URL(process.env.PORTHOLE_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306')
  const port = Number(url.port || 3306)
  const up = await new Promise<boolean>((resolve) => {
    const s = net.connect(port, url.hostname)
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
  return up ? '' : `no MariaDB/MySQL at ${url.hostname}:${port}; .ci/run installs and starts mariadb-server`
}
