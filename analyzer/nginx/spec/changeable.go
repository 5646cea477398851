package spec

// changeable are the built-in variables that set, map, geo, split_clients
// and the other directives that define a variable may assign: those whose
// entry in their module's variable array carries NGX_HTTP_VAR_CHANGEABLE
// (NGX_STREAM_VAR_CHANGEABLE), keyed "family name". Read from the arrays
// of release-1.10.3, 1.14.2, 1.18.0, 1.22.1 and 1.31.4 of nginx's sources:
// the set only grew. nginx refuses to define any other built-in variable
// ("the duplicate "remote_addr" variable").
var changeable = map[string]bool{
	"http ancient_browser": true, "http args": true, "http limit_rate": true, "http modern_browser": true,
	"http msie": true, "http proxy_host": true, "http proxy_port": true,
	"http ssl_alpn_protocol": true, "http ssl_cipher": true, "http ssl_ciphers": true, "http ssl_client_cert": true,
	"http ssl_client_escaped_cert": true, "http ssl_client_fingerprint": true, "http ssl_client_i_dn": true,
	"http ssl_client_i_dn_legacy": true, "http ssl_client_raw_cert": true, "http ssl_client_s_dn": true,
	"http ssl_client_s_dn_legacy": true, "http ssl_client_serial": true, "http ssl_client_sigalg": true,
	"http ssl_client_v_end": true, "http ssl_client_v_remain": true, "http ssl_client_v_start": true,
	"http ssl_client_verify": true, "http ssl_curve": true, "http ssl_curves": true, "http ssl_early_data": true,
	"http ssl_ech_outer_server_name": true, "http ssl_ech_status": true, "http ssl_protocol": true,
	"http ssl_server_name": true, "http ssl_session_id": true, "http ssl_session_reused": true,
	"http ssl_sigalg": true, "http ssl_sigalgs": true,
	"stream ssl_alpn_protocol": true, "stream ssl_cipher": true, "stream ssl_ciphers": true,
	"stream ssl_client_cert": true, "stream ssl_client_escaped_cert": true, "stream ssl_client_fingerprint": true,
	"stream ssl_client_i_dn": true, "stream ssl_client_raw_cert": true, "stream ssl_client_s_dn": true,
	"stream ssl_client_serial": true, "stream ssl_client_sigalg": true, "stream ssl_client_v_end": true,
	"stream ssl_client_v_remain": true, "stream ssl_client_v_start": true, "stream ssl_client_verify": true,
	"stream ssl_curve": true, "stream ssl_curves": true, "stream ssl_ech_outer_server_name": true,
	"stream ssl_ech_status": true, "stream ssl_protocol": true, "stream ssl_server_name": true,
	"stream ssl_session_id": true, "stream ssl_session_reused": true, "stream ssl_sigalg": true,
	"stream ssl_sigalgs": true,
}

// Changeable reports whether a directive that defines variables may
// assign v (see changeable). A prefix family ($http_...) is not one
// variable: defining $http_x makes a variable of that name.
func (v *Variable) Changeable() bool {
	fam := "http"
	if v.Stream() {
		fam = "stream"
	}
	return v.Prefix || changeable[fam+" "+v.Name]
}
