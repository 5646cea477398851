-- Formats through the language server as an editor does: a range first
-- (only the upstream member's line changes), then the whole buffer, which
-- is written; reports to $NGXLINT_RESULT. Requests are made by hand so
-- that the script runs on Neovim 0.7 (no vim.lsp.buf.format) and later.
local function request(buf, method, params)
  local edits
  local ok = vim.wait(15000, function()
    local responses = vim.lsp.buf_request_sync(buf, method, params, 2000)
    for _, resp in pairs(responses or {}) do
      if resp.result then
        edits = resp.result
        return true
      end
    end
    return false
  end, 100)
  assert(ok, 'no answer to ' .. method)
  vim.lsp.util.apply_text_edits(edits, buf, 'utf-16')
end

local function run()
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.bo[buf].filetype == 'nginx', 'filetype is ' .. vim.bo[buf].filetype)
  local opts = { tabSize = 8, insertSpaces = false }
  local uri = vim.uri_from_bufnr(buf)
  local line = 5 -- "      server 127.0.0.1:3000;" (0-based)
  request(buf, 'textDocument/rangeFormatting', {
    textDocument = { uri = uri },
    range = { start = { line = line, character = 0 }, ['end'] = { line = line, character = 3 } },
    options = opts,
  })
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  assert(lines[line + 1] == '        server 127.0.0.1:3000;', 'after range formatting: ' .. vim.inspect(lines))
  assert(lines[2] == 'server {', 'range formatting changed another line: ' .. vim.inspect(lines))
  request(buf, 'textDocument/formatting', { textDocument = { uri = uri }, options = opts })
  vim.cmd('write')
end

local ok, err = pcall(run)
local f = io.open(vim.env.NGXLINT_RESULT, 'w')
f:write(ok and 'OK' or tostring(err))
f:close()
vim.cmd('qa!')
