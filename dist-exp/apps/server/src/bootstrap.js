"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createApp = createApp;
exports.openApiDocument = openApiDocument;
exports.listen = listen;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const swagger_1 = require("@nestjs/swagger");
const node_fs_1 = require("node:fs");
const protocol_1 = require("../../../libs/protocol/src");
const app_module_1 = require("./app.module");
const api_error_1 = require("./foundation/http/api-error");
const error_filter_1 = require("./foundation/http/error.filter");
const socket_adapter_1 = require("./foundation/network/socket.adapter");
const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'];
/** Builds the application without listening, so that `main` and the OpenAPI writer share one setup. */
async function createApp(config) {
    const httpsOptions = config.tls ? { cert: (0, node_fs_1.readFileSync)(config.tls.cert), key: (0, node_fs_1.readFileSync)(config.tls.key) } : undefined;
    const app = await core_1.NestFactory.create(app_module_1.AppModule.forRoot(config), {
        httpsOptions,
        bodyParser: false,
        logger: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
    });
    app.useBodyParser('json', { limit: config.bodyLimitBytes });
    app.useGlobalPipes(new common_1.ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: api_error_1.validationError }));
    app.useGlobalFilters(new error_filter_1.ErrorFilter());
    app.useWebSocketAdapter(new socket_adapter_1.SocketAdapter(app, config.sessions.messageMaxBytes));
    app.enableShutdownHooks();
    swagger_1.SwaggerModule.setup('docs', app, openApiDocument(app));
    return app;
}
function openApiDocument(app) {
    const config = new swagger_1.DocumentBuilder()
        .setTitle('ioa')
        .setDescription(`Internet of Agents server, REST API. Wire protocol ${protocol_1.PROTOCOL_VERSION}.`)
        .setVersion('1')
        .addBearerAuth()
        .build();
    return swagger_1.SwaggerModule.createDocument(app, config);
}
async function listen(app, config) {
    await app.listen(config.port, config.host);
    const scheme = config.tls ? 'https' : 'http';
    new common_1.Logger('ioa').log(`listening on ${scheme}://${config.host}:${config.port} (${protocol_1.PROTOCOL_VERSION}, data in ${config.dataDir})`);
}
//# sourceMappingURL=bootstrap.js.map