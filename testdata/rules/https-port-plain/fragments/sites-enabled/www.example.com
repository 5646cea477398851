# Linted without nginx.conf: another server there may listen on 443 ssl.
server {
    listen 443;
    server_name www.example.com;
    ssl_certificate     /etc/ssl/www.crt;
    ssl_certificate_key /etc/ssl/www.key;
}
