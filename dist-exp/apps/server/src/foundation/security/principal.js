"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CurrentPrincipal = exports.Roles = exports.Public = exports.ROLES_KEY = exports.IS_PUBLIC = exports.ADMIN = void 0;
const common_1 = require("@nestjs/common");
exports.ADMIN = { role: 'admin', id: 'admin', jti: null };
exports.IS_PUBLIC = 'ioa:public';
exports.ROLES_KEY = 'ioa:roles';
/** No credential needed (liveness, API docs, token refresh which carries its own credential). */
const Public = () => (0, common_1.SetMetadata)(exports.IS_PUBLIC, true);
exports.Public = Public;
/** Roles allowed on a route; without it any authenticated role except `enrollment` passes. */
const Roles = (...roles) => (0, common_1.SetMetadata)(exports.ROLES_KEY, roles);
exports.Roles = Roles;
exports.CurrentPrincipal = (0, common_1.createParamDecorator)((_, ctx) => ctx.switchToHttp().getRequest().user);
//# sourceMappingURL=principal.js.map