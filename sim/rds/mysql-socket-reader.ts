// Awaitable packet reading for the MySQL gate's connection phase, on both the client and the
// upstream socket: the shared socket reader (socket-reader.ts) over MySQL's packet buffer.
import type { Socket } from 'node:net'
import { type MySqlPacket, MySqlPacketReader } from './mysql-wire'
import { FramedSocketReader } from './socket-reader'

/** Reads MySQL packets from a socket, one await at a time. */
export class MySqlSocketReader extends FramedSocketReader<MySqlPacketReader> {
  constructor(socket: Socket) {
    super(socket, new MySqlPacketReader(), 'the connection phase')
  }

  /** The next whole packet; rejects PeerClosedError, or on an oversized packet. */
  next(): Promise<MySqlPacket> {
    return this.read((packets) => packets.next())
  }
}
