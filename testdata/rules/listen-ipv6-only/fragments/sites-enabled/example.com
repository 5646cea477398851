# A site linted without nginx.conf: the default site there may listen
# on 80 for IPv4.
server {
    listen [::]:80;
    server_name example.com;
}
