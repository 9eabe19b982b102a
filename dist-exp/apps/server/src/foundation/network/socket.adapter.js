"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SocketAdapter = void 0;
const platform_socket_io_1 = require("@nestjs/platform-socket.io");
/**
 * The socket.io server's settings in one place: websocket transport only, bounded frames, and no connection-state
 * recovery (`subscribe` with `after_seq` is the one replay mechanism, so nothing can arrive twice).
 * A later step plugs the Redis adapter in here to run several nodes.
 */
class SocketAdapter extends platform_socket_io_1.IoAdapter {
    maxBytes;
    constructor(app, maxBytes) {
        super(app);
        this.maxBytes = maxBytes;
    }
    createIOServer(port, options) {
        return super.createIOServer(port, {
            ...options,
            transports: ['websocket'],
            maxHttpBufferSize: this.maxBytes * 2,
            serveClient: false,
        });
    }
}
exports.SocketAdapter = SocketAdapter;
//# sourceMappingURL=socket.adapter.js.map