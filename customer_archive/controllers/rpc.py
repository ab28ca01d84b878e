from odoo.addons.base.controllers.rpc import RPC
from odoo.http import request, route

from ..models.customer_archive_access_log import RPC_CLIENT_ADDRESS


class ArchiveRPC(RPC):
    """/jsonrpc and /xmlrpc run the call with the request hidden (odoo.http.dispatch_rpc borrows it
    off the stack): the caller's address is handed to the access log here, for the call's length."""

    @route()
    def jsonrpc(self, service, method, args):
        token = RPC_CLIENT_ADDRESS.set(request.httprequest.remote_addr)
        try:
            return super().jsonrpc(service, method, args)
        finally:
            RPC_CLIENT_ADDRESS.reset(token)

    def _xmlrpc(self, service):
        # Both /xmlrpc/<service> and /xmlrpc/2/<service> come through here.
        token = RPC_CLIENT_ADDRESS.set(request.httprequest.remote_addr)
        try:
            return super()._xmlrpc(service)
        finally:
            RPC_CLIENT_ADDRESS.reset(token)
