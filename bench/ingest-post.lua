-- wrk script: POST a 1 KiB query with a bearer token (TOKEN from the environment)
local query = string.rep("please summarise the quarterly report for the team. ", 20):sub(1, 1024)
wrk.method = "POST"
wrk.body = '{"query": "' .. query .. '"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
