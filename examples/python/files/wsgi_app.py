# wsgi application
def app(environ, start_response):
    # Response information
    start_response('200 OK', [('Content-Type', 'text/html')])
    file_name = environ['PATH_INFO'][1:] or 'simple_navbar.html'
    HTML_ROOT_DIR = './'
    try:
        # Open file
        file = open(HTML_ROOT_DIR + file_name, 'rb')
    except IOError:
        # Abnormal response
        response_body = "{} not found".format(HTML_ROOT_DIR + file_name)
    else:
        # read file
        file_data = file.read()
        file.close()
        # Construct response data
        response_body = file_data.decode('utf-8')
    return [response_body.encode('utf-8')]  # Return data
