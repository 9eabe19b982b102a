"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AdminAuditInterceptor = void 0;
const common_1 = require("@nestjs/common");
const rxjs_1 = require("rxjs");
const audit_log_1 = require("./audit-log");
const SECRET = /token|secret|password/i;
/** Every successful admin action over REST (anything but GET) goes to the audit log, in one place. */
let AdminAuditInterceptor = class AdminAuditInterceptor {
    audit;
    constructor(audit) {
        this.audit = audit;
    }
    intercept(ctx, next) {
        const req = ctx.switchToHttp().getRequest();
        const principal = req?.user;
        if (ctx.getType() !== 'http' || req.method === 'GET' || principal?.role !== 'admin')
            return next.handle();
        return next.handle().pipe((0, rxjs_1.tap)(() => {
            const body = Object.fromEntries(Object.entries(req.body ?? {}).filter(([k]) => !SECRET.test(k)));
            const groupId = req.params?.id && req.route?.path?.startsWith('/v1/groups') ? req.params.id : null;
            void this.audit.record('admin', 'admin_action', { method: req.method, path: req.route?.path ?? req.path, params: req.params, body }, groupId);
        }));
    }
};
exports.AdminAuditInterceptor = AdminAuditInterceptor;
exports.AdminAuditInterceptor = AdminAuditInterceptor = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [audit_log_1.AuditLog])
], AdminAuditInterceptor);
//# sourceMappingURL=admin-audit.interceptor.js.map